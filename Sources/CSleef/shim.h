// SLEEF's vector math library (Debian: libsleef-dev). The per-ISA functions CVecMath calls
// are declared there with the ISA enabled, since sleef.h declares them only when the whole
// file is compiled for that ISA.
#include <sleef.h>
