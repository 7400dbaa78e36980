// Finds and loads libcrowdsim_mpi.so when --mpi is given (app/mpi_plugin.hpp).
#include "mpi_plugin.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

const CrowdsimMpi& load_mpi() {
  namespace fs = std::filesystem;
  fs::path exe = fs::read_symlink("/proc/self/exe").parent_path();
  // A build tree has the plugin beside the binary; an installed one in <libdir>/crowdsim,
  // CROWDSIM_PLUGIN_DIR relative to the binary's folder.
  std::vector<fs::path> tried{exe / "libcrowdsim_mpi.so", exe / CROWDSIM_PLUGIN_DIR / "libcrowdsim_mpi.so"};
  std::string errors;
  for (const fs::path& p : tried) {
    if (!fs::exists(p)) {
      errors += " " + p.string() + " (absent)";
      continue;
    }
    // RTLD_GLOBAL: OpenMPI loads its own components later, and they need libmpi's symbols.
    void* lib = dlopen(p.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
      errors += " " + p.string() + " (" + dlerror() + ")";
      continue;
    }
    auto entry = reinterpret_cast<const CrowdsimMpi* (*)()>(dlsym(lib, "crowdsim_mpi"));
    if (entry) return *entry();
    errors += " " + p.string() + " (no crowdsim_mpi symbol)";
  }
  throw std::runtime_error("--mpi: cannot load the MPI plugin, tried" + errors);
}
