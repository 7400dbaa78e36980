#pragma once
/// \file --plugin: a user's shared library that registers its own models (CROWDSIM_PLUGIN in
/// models/registry.hpp) before the scenario is read, so every command works with them.

#include <string>
#include <vector>

namespace crowdsim::app {

/// Loads each library once and calls its crowdsim_plugin_register(); a library that cannot be
/// loaded, or has no such function, is a sim::ConfigError at "--plugin" (exit status 2).
void load_plugins(const std::vector<std::string>& paths);

}  // namespace crowdsim::app
