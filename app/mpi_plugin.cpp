// libcrowdsim_mpi.so: the MPI calls of `crowdsim --mpi` (app/mpi_plugin.hpp).
#include "mpi_plugin.hpp"

#include <mpi.h>

namespace {
void init() { MPI_Init(nullptr, nullptr); }
int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int size() {
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}
int all_min(int value) {
  int out = value;
  MPI_Allreduce(&value, &out, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return out;
}
int broadcast(int value) {
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}
void finalize() { MPI_Finalize(); }
const CrowdsimMpi kTable{init, rank, size, all_min, broadcast, finalize};
}  // namespace

extern "C" const CrowdsimMpi* crowdsim_mpi() { return &kTable; }
