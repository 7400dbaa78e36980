# Run at every build (the crowdsim_commit target): writes OUT, a header defining
# CROWDSIM_GIT_COMMIT as the commit of the source tree SRC as `git rev-parse --short HEAD`
# prints it ("-dirty" added when tracked files differ from it, "unknown" outside git), and
# rewrites it only when that changes, so a new commit or an edit reaches the output files'
# git_commit without reconfiguring.
execute_process(COMMAND git rev-parse --short HEAD WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR NOT commit)
  set(commit unknown)
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SRC}
                  OUTPUT_VARIABLE changes ERROR_QUIET)
  if(changes)
    string(APPEND commit "-dirty")
  endif()
endif()
set(content "#pragma once\n// Generated at build time by cmake/git_commit.cmake: do not edit.\n#define CROWDSIM_GIT_COMMIT \"${commit}\"\n")
set(old "")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL content)
  file(WRITE ${OUT} "${content}")
endif()
