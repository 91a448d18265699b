# chatbench_skip_pch_where_torch_free(target SEARCH_DIRS dir...): the target's sources that
# include no torch header, directly or through the project's own headers (resolved against
# SEARCH_DIRS and the including file's folder), compile without the target's precompiled headers
# and outside any unity batch.
#
# Why: the engine's precompiled header holds torch's headers; loading it costs a translation unit
# ~18 s on a 2-core machine (measured: io/error.cpp, 2 s without it, 20 s with it), which half of
# the engine's files (parsers, run files, metrics) pay for nothing.

set(_cb_torch_include_regex "^[ \t]*#[ \t]*include[ \t]*<(torch|ATen|c10|caffe2)/")

# Sets <out> to TRUE when file (or a project header it includes) includes torch. Memoised in
# global properties, so every header is read once per configure.
function(_cb_uses_torch file search_dirs out)
  get_property(_known GLOBAL PROPERTY "_cb_torch_${file}" SET)
  if(_known)
    get_property(_value GLOBAL PROPERTY "_cb_torch_${file}")
    set(${out} ${_value} PARENT_SCOPE)
    return()
  endif()
  # Provisionally false: include cycles end here.
  set_property(GLOBAL PROPERTY "_cb_torch_${file}" FALSE)
  file(STRINGS "${file}" _lines REGEX "^[ \t]*#[ \t]*include")
  get_filename_component(_here "${file}" DIRECTORY)
  set(_result FALSE)
  foreach(_line IN LISTS _lines)
    if(_line MATCHES "${_cb_torch_include_regex}")
      set(_result TRUE)
      break()
    endif()
    if(NOT _line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\"")
      continue()
    endif()
    set(_target "${CMAKE_MATCH_1}")
    foreach(_dir IN LISTS _here search_dirs)
      if(EXISTS "${_dir}/${_target}")
        _cb_uses_torch("${_dir}/${_target}" "${search_dirs}" _nested)
        if(_nested)
          set(_result TRUE)
        endif()
        break()
      endif()
    endforeach()
    if(_result)
      break()
    endif()
  endforeach()
  set_property(GLOBAL PROPERTY "_cb_torch_${file}" ${_result})
  set(${out} ${_result} PARENT_SCOPE)
endfunction()

function(chatbench_skip_pch_where_torch_free target)
  cmake_parse_arguments(ARG "" "" "SEARCH_DIRS" ${ARGN})
  get_target_property(_sources ${target} SOURCES)
  get_target_property(_source_dir ${target} SOURCE_DIR)
  set(_free 0)
  foreach(_source IN LISTS _sources)
    if(NOT _source MATCHES "\\.cpp$")
      continue()
    endif()
    if(NOT IS_ABSOLUTE "${_source}")
      set(_source "${_source_dir}/${_source}")
    endif()
    _cb_uses_torch("${_source}" "${ARG_SEARCH_DIRS}" _torch)
    if(NOT _torch)
      set_property(SOURCE "${_source}" TARGET_DIRECTORY ${target} PROPERTY
        SKIP_PRECOMPILE_HEADERS ON)
      set_property(SOURCE "${_source}" TARGET_DIRECTORY ${target} PROPERTY
        SKIP_UNITY_BUILD_INCLUSION ON)
      math(EXPR _free "${_free} + 1")
    endif()
  endforeach()
  message(STATUS "${target}: ${_free} torch-free sources compile without the torch PCH")
endfunction()
