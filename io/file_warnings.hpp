#pragma once
/// \file The "warnings" root attribute of a results file, counted from the runs it holds
/// (/summary and each run's workers table), so that a resumed or merged file has the same as
/// one written at once. Private to io/ (it includes H5Cpp.h).

#include <H5Cpp.h>

#include <string>

namespace crowdsim::io {

/// Counts the warnings of the runs in `f` (io/run_warnings.hpp), writes them to its root
/// attribute "warnings" (replacing one), and returns that JSON text.
std::string write_file_warnings(H5::H5File& f);

}  // namespace crowdsim::io
