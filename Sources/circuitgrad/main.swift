import CircuitGrad
print("circuitgrad: under construction")
