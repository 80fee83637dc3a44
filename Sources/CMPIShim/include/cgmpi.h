// The few MPI calls CircuitGrad makes, as plain C functions: MPI's handles
// (MPI_COMM_WORLD, MPI_DOUBLE, ...) are macros that Swift cannot import.
// Every function returns MPI_SUCCESS (0) or an MPI error code unless it says otherwise.
#ifndef CGMPI_H
#define CGMPI_H
#include <stdint.h>

int cgmpi_init(void);
int cgmpi_initialized(void);   // 1 after cgmpi_init, 0 before
int cgmpi_finalize(void);
void cgmpi_abort(int code);
int cgmpi_world_rank(void);
int cgmpi_world_size(void);
// This rank's position among the ranks on the same machine, and how many there are.
int cgmpi_node_rank(int *rank, int *size);
// Every rank on this machine's `value`, in node-rank order (`out` holds node size values).
int cgmpi_node_allgather_u64(uint64_t value, uint64_t *out);
// The machine's name as MPI reports it (NUL-terminated, at most `capacity` bytes).
int cgmpi_processor_name(char *out, int capacity);
int cgmpi_barrier(void);
// Every rank's `value`, in rank order (`out` holds world size values).
int cgmpi_allgather_i64(int64_t value, int64_t *out);
// Rank `root` receives every rank's doubles, rank after rank, into `out` (ignored elsewhere).
int cgmpi_gatherv_f64(const double *send, int count, double *out, const int *counts, const int *displs, int root);
// The same, in place: on `root`, `buffer` receives every rank's doubles and already holds its own
// at their displacement (MPI_IN_PLACE); elsewhere it holds the `count` doubles this rank sends.
int cgmpi_gatherv_f64_in_place(double *buffer, int count, const int *counts, const int *displs, int root);
// Every rank receives every rank's doubles, rank after rank.
int cgmpi_allgatherv_f64(const double *send, int count, double *out, const int *counts, const int *displs);
// Rank `root` receives every rank's bytes, rank after rank.
int cgmpi_gatherv_bytes(const char *send, int count, char *out, const int *counts, const int *displs, int root);
// Every rank receives `root`'s `count` bytes in `buffer` (MPI_Bcast).
int cgmpi_bcast_bytes(char *buffer, int count, int root);
// The text of an MPI error code.
void cgmpi_error_text(int code, char *out, int capacity);
#endif
