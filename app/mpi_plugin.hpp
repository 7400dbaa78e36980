#pragma once
/// \file The few MPI calls `crowdsim --mpi` makes, as a plain table of functions in a plugin
/// (libcrowdsim_mpi.so) that is loaded only when --mpi is given: linking OpenMPI into the
/// binary cost every run, MPI or not, about 3 ms of start-up (docs/performance.md).

/// MPI for crowdsim: MPI_COMM_WORLD, ints only.
struct CrowdsimMpi {
  void (*init)();                  ///< MPI_Init
  int (*rank)();                   ///< this process's rank
  int (*size)();                   ///< number of ranks
  int (*all_min)(int value);       ///< the minimum of `value` over all ranks (also a barrier)
  int (*broadcast)(int value);     ///< rank 0's `value`, on every rank
  void (*finalize)();              ///< MPI_Finalize
};

/// The plugin's one entry point.
extern "C" const CrowdsimMpi* crowdsim_mpi();

/// Loads the plugin (beside the binary in a build tree, in the library folder once installed)
/// and returns its table; throws std::runtime_error naming the paths tried when it is missing.
const CrowdsimMpi& load_mpi();
