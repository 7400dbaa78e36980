#include "plugins.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <set>

#include "sim/config.hpp"

namespace crowdsim::app {

void load_plugins(const std::vector<std::string>& paths) {
  static std::set<std::string> loaded;  // by canonical path: --plugin given twice loads once
  for (const std::string& path : paths) {
    std::error_code ec;
    std::filesystem::path canonical = std::filesystem::canonical(path, ec);
    if (ec) throw sim::ConfigError("--plugin", "a crowdsim plug-in (a shared library)", "\"" + path + "\": no such file");
    if (!loaded.insert(canonical.string()).second) continue;
    // RTLD_NOW: a symbol the plug-in needs and crowdsim does not export is reported here, not
    // in the middle of a run. Never closed: the registries hold its factories.
    void* lib = dlopen(canonical.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) throw sim::ConfigError("--plugin", "a crowdsim plug-in (a shared library)", "\"" + path + "\": " + dlerror());
    auto entry = reinterpret_cast<void (*)()>(dlsym(lib, "crowdsim_plugin_register"));
    if (!entry)
      throw sim::ConfigError("--plugin", "a library defining CROWDSIM_PLUGIN (models/registry.hpp)",
                             "\"" + path + "\", which has no crowdsim_plugin_register");
    entry();
  }
}

}  // namespace crowdsim::app
