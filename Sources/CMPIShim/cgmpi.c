// Compiled only where mpi.h is found (the MPI trait brings its include path).
#if __has_include(<mpi.h>)
#include <mpi.h>
#include <string.h>
#include "cgmpi.h"

static MPI_Comm node_comm = MPI_COMM_NULL;

int cgmpi_init(void) {
    int rc = MPI_Init(NULL, NULL);
    if (rc != MPI_SUCCESS) return rc;
    // Errors come back as codes (and end the job through the caller), not as aborts inside MPI.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    rc = MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node_comm);
    if (rc == MPI_SUCCESS) MPI_Comm_set_errhandler(node_comm, MPI_ERRORS_RETURN);
    return rc;
}

int cgmpi_initialized(void) {
    int flag = 0;
    MPI_Initialized(&flag);
    return flag;
}

int cgmpi_finalize(void) {
    if (node_comm != MPI_COMM_NULL) MPI_Comm_free(&node_comm);
    return MPI_Finalize();
}

void cgmpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

int cgmpi_world_rank(void) { int r = 0; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
int cgmpi_world_size(void) { int s = 1; MPI_Comm_size(MPI_COMM_WORLD, &s); return s; }

int cgmpi_node_rank(int *rank, int *size) {
    int rc = MPI_Comm_rank(node_comm, rank);
    return rc == MPI_SUCCESS ? MPI_Comm_size(node_comm, size) : rc;
}

int cgmpi_node_allgather_u64(uint64_t value, uint64_t *out) {
    return MPI_Allgather(&value, 1, MPI_UINT64_T, out, 1, MPI_UINT64_T, node_comm);
}

int cgmpi_processor_name(char *out, int capacity) {
    char name[MPI_MAX_PROCESSOR_NAME];
    int length = 0;
    int rc = MPI_Get_processor_name(name, &length);
    if (capacity > 0) {
        int n = length < capacity - 1 ? length : capacity - 1;
        memcpy(out, name, (size_t)n);
        out[n] = 0;
    }
    return rc;
}

int cgmpi_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }

int cgmpi_allgather_i64(int64_t value, int64_t *out) {
    return MPI_Allgather(&value, 1, MPI_INT64_T, out, 1, MPI_INT64_T, MPI_COMM_WORLD);
}

int cgmpi_gatherv_f64(const double *send, int count, double *out, const int *counts, const int *displs, int root) {
    return MPI_Gatherv(send, count, MPI_DOUBLE, out, counts, displs, MPI_DOUBLE, root, MPI_COMM_WORLD);
}

int cgmpi_gatherv_f64_in_place(double *buffer, int count, const int *counts, const int *displs, int root) {
    if (cgmpi_world_rank() == root)
        return MPI_Gatherv(MPI_IN_PLACE, 0, MPI_DOUBLE, buffer, counts, displs, MPI_DOUBLE, root, MPI_COMM_WORLD);
    return MPI_Gatherv(buffer, count, MPI_DOUBLE, NULL, counts, displs, MPI_DOUBLE, root, MPI_COMM_WORLD);
}

int cgmpi_allgatherv_f64(const double *send, int count, double *out, const int *counts, const int *displs) {
    return MPI_Allgatherv(send, count, MPI_DOUBLE, out, counts, displs, MPI_DOUBLE, MPI_COMM_WORLD);
}

int cgmpi_gatherv_bytes(const char *send, int count, char *out, const int *counts, const int *displs, int root) {
    return MPI_Gatherv(send, count, MPI_CHAR, out, counts, displs, MPI_CHAR, root, MPI_COMM_WORLD);
}

int cgmpi_bcast_bytes(char *buffer, int count, int root) {
    return MPI_Bcast(buffer, count, MPI_CHAR, root, MPI_COMM_WORLD);
}

void cgmpi_error_text(int code, char *out, int capacity) {
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) length = 0;
    if (capacity > 0) {
        int n = length < capacity - 1 ? length : capacity - 1;
        memcpy(out, text, (size_t)n);
        out[n] = 0;
    }
}
#endif
