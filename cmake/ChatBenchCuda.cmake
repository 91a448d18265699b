# CHATBENCH_CUDA: whether the engine compiles its CUDA parts (device names from the driver,
# ProcessGroupNCCL). Needs a libtorch built with CUDA: Debian's libtorch-dev is CPU only, the one
# inside a PyTorch installation usually has CUDA. Sets CHATBENCH_WITH_CUDA and
# CHATBENCH_WITH_NCCL, and says at configure time which libtorch and CUDA were found.

set(_cb_torch_cuda OFF)
# Caffe2Config.cmake records USE_CUDA as CAFFE2_USE_CUDA; torch_cuda is the CUDA half of libtorch.
if(CAFFE2_USE_CUDA OR TARGET torch_cuda OR TORCH_CUDA_LIBRARIES)
  set(_cb_torch_cuda ON)
endif()
get_filename_component(_cb_torch_prefix "${TORCH_LIBRARY}" DIRECTORY)
set(_cb_torch_what "libtorch ${Torch_VERSION} (${_cb_torch_prefix})")

set(CHATBENCH_WITH_CUDA OFF)
set(CHATBENCH_WITH_NCCL OFF)
if(CHATBENCH_CUDA STREQUAL "ON" AND NOT _cb_torch_cuda)
  message(FATAL_ERROR "CHATBENCH_CUDA=ON, but ${_cb_torch_what} has no CUDA. Point "
    "CMAKE_PREFIX_PATH at a CUDA libtorch, e.g. PyTorch's: -DCMAKE_PREFIX_PATH=$(python3 -c "
    "'import torch; print(torch.utils.cmake_prefix_path)')")
endif()
if(_cb_torch_cuda AND NOT CHATBENCH_CUDA STREQUAL "OFF")
  set(CHATBENCH_WITH_CUDA ON)
endif()

if(CHATBENCH_WITH_CUDA)
  # ProcessGroupNCCL.hpp includes <nccl.h>, which PyTorch's wheels keep in the nvidia-nccl
  # package beside torch (site-packages/nvidia/nccl), not in torch's own include folder.
  get_filename_component(_cb_site "${_cb_torch_prefix}/../.." ABSOLUTE)
  find_path(CHATBENCH_NCCL_INCLUDE_DIR nccl.h
    HINTS ENV NCCL_HOME ENV NCCL_ROOT ${_cb_site}/nvidia/nccl ${CUDAToolkit_INCLUDE_DIRS}
          ${CUDA_INCLUDE_DIRS}
    PATH_SUFFIXES include)
  if(CHATBENCH_NCCL_INCLUDE_DIR)
    set(CHATBENCH_WITH_NCCL ON)
  endif()
  # torch's CMake finds CUDA through FindCUDAToolkit (2.x) or the older FindCUDA (1.x).
  if(CUDAToolkit_VERSION)
    set(_cb_cuda_what "CUDA ${CUDAToolkit_VERSION}")
  else()
    set(_cb_cuda_what "CUDA ${CUDA_VERSION}")
  endif()
  if(CHATBENCH_WITH_NCCL)
    string(APPEND _cb_cuda_what ", NCCL (${CHATBENCH_NCCL_INCLUDE_DIR})")
  else()
    string(APPEND _cb_cuda_what ", no nccl.h found: data-parallel GPU training uses Gloo "
      "(set NCCL_HOME for NCCL)")
  endif()
  message(STATUS "ChatBench: ${_cb_torch_what}, ${_cb_cuda_what}")
elseif(_cb_torch_cuda)
  message(STATUS "ChatBench: ${_cb_torch_what} has CUDA, not used (CHATBENCH_CUDA=OFF)")
else()
  message(STATUS "ChatBench: ${_cb_torch_what}, CPU only (no CUDA in this libtorch)")
endif()
