# `cmake --install build --prefix P` installs the crowdsim binary, the static libraries, their
# headers under P/include/crowdsim, and a CMake package: find_package(crowdsim) in a user's
# project (with CMAKE_PREFIX_PATH=P) gives the target crowdsim::crowdsim.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS crowdsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS crowdsim_sim crowdsim_models crowdsim_io crowdsim_experiment crowdsim_all crowdsim_plugin
        EXPORT crowdsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# The public headers only: io/'s HDF5 internals (they include H5Cpp.h) and the platform's own
# seams (models/platform/) stay out; experiment/'s are all public (run_experiment, summarize, ...). A policy plug-in needs models/assignment/policy.hpp and
# models/view.hpp, the read-only view of the platform it is written against.
install(DIRECTORY sim models io experiment DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/crowdsim
        FILES_MATCHING PATTERN "*.hpp"
        PATTERN "chunk_writer.hpp" EXCLUDE PATTERN "file_warnings.hpp" EXCLUDE PATTERN "hdf5_appender.hpp" EXCLUDE
        PATTERN "hdf5_tables.hpp" EXCLUDE PATTERN "hdf5_util.hpp" EXCLUDE PATTERN "hdf5_recorder_impl.hpp" EXCLUDE
        PATTERN "platform" EXCLUDE)

set(crowdsim_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/crowdsim)
install(EXPORT crowdsimTargets NAMESPACE crowdsim:: DESTINATION ${crowdsim_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/crowdsimConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/crowdsimConfig.cmake
                              INSTALL_DESTINATION ${crowdsim_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/crowdsimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/crowdsimConfig.cmake ${PROJECT_BINARY_DIR}/crowdsimConfigVersion.cmake
        DESTINATION ${crowdsim_cmake_dir})
