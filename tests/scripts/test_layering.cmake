# ctest: cmake/check_layering.cmake passes on the project's tree and fails, naming each problem,
# on a small tree that breaks every rule it checks.
# Usage: cmake -DSOURCE_DIR=<project> -DWORK_DIR=<scratch folder> -P test_layering.cmake

set(_check "${SOURCE_DIR}/cmake/check_layering.cmake")

execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${SOURCE_DIR} -P ${_check}
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "the project's own tree fails the layering check:\n${_out}${_err}")
endif()

set(_tree "${WORK_DIR}/layering-fixture")
file(REMOVE_RECURSE "${_tree}")
file(WRITE "${_tree}/engine/include/chatbench/runner.h" "#pragma once\n#include \"io/reader.h\"\n")
file(WRITE "${_tree}/engine/include/chatbench/unused.h" "#pragma once\n")
file(WRITE "${_tree}/engine/include/chatbench/tensor_view.h" "#pragma once\n#include <ATen/Tensor.h>\n")
file(WRITE "${_tree}/engine/io/reader.h" "#pragma once\n")
file(WRITE "${_tree}/engine/io/reader.cpp" "#include \"io/reader.h\"\n#include \"model/net.h\"\n")
file(WRITE "${_tree}/engine/model/net.h" "#pragma once\n")
file(WRITE "${_tree}/engine/train/runner.cpp" "#include \"chatbench/runner.h\"\n")
file(WRITE "${_tree}/engine/tools/misc.cpp" "\n")
file(WRITE "${_tree}/ui/pane.cpp"
  "#include \"chatbench/runner.h\"\n#include \"chatbench/tensor_view.h\"\n#include <torch/torch.h>\n#include \"model/net.h\"\n")

execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${_tree} -P ${_check}
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
set(_all "${_out}${_err}")
if(_rc EQUAL 0)
  message(FATAL_ERROR "the layering check passed a tree that breaks it:\n${_all}")
endif()
foreach(_expected
    "engine/io/reader.cpp:2: includes model/net.h: io may not use model"
    "engine/include/chatbench/tensor_view.h:2: includes <ATen/Tensor.h>: public headers are torch-free"
    "ui/pane.cpp:3: includes <torch/torch.h>: only the engine uses torch"
    "ui/pane.cpp:4: includes model/net.h, private to the engine"
    "engine/include/chatbench/unused.h: used by no ui/, report/ or app/ file"
    "engine/tools/misc.cpp: outside the folder chain")
  string(FIND "${_all}" "${_expected}" _at)
  if(_at LESS 0)
    message(FATAL_ERROR "the layering check did not report \"${_expected}\":\n${_all}")
  endif()
endforeach()
# The public header that only re-exports an io header is io-level: train may use it, and it is
# not reported as a back-edge.
string(FIND "${_all}" "engine/train/runner.cpp" _at)
if(NOT _at LESS 0)
  message(FATAL_ERROR "the layering check reported a legal include:\n${_all}")
endif()
message(STATUS "test_layering: the check passes the project and fails each broken rule")
