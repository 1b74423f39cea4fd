# bench_kitchen_uring: bench_kitchen with Asio's sockets and timers on io_uring instead of epoll.
#
# Asio uses io_uring only when BOOST_ASIO_HAS_IO_URING and BOOST_ASIO_DISABLE_EPOLL hold for the
# whole program (one definition rule): every target whose code includes Asio gets a twin,
# <target>_uring, compiled from the same sources with both definitions and linked with liburing.
# kitchen_uring_twin(<target>) makes it, after <target> is complete; a twin links the twins of
# the targets <target> links (those made before it), and everything else as <target> does.
# Targets without Asio (kitchen_model, kitchen_os, kitchen_cli) are shared.
#
# The twins are left out of the default build (they double the compile of every Asio file, a
# third of the release build): `cmake --build --preset release --target all uring_programs`
# builds them too (bench.sh does; test.sh does when a twin was built before, so that none is
# stale), with the test of the io_uring pantry client (pantry_uring_test), which links a twin.

option(KITCHEN_BUILD_URING "Build the io_uring twins (bench_kitchen_uring) when liburing is found"
       ON)
set(KITCHEN_URING OFF)
if(KITCHEN_BUILD_URING)
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(LIBURING QUIET IMPORTED_TARGET liburing)
  endif()
  if(LIBURING_FOUND)
    set(KITCHEN_URING ON)
    add_library(kitchen_uring_flags INTERFACE)
    target_compile_definitions(kitchen_uring_flags INTERFACE BOOST_ASIO_HAS_IO_URING
                                                             BOOST_ASIO_DISABLE_EPOLL)
    target_link_libraries(kitchen_uring_flags INTERFACE PkgConfig::LIBURING)
  else()
    message(STATUS "liburing not found (apt-get install liburing-dev): bench_kitchen_uring is "
                   "not built")
  endif()
endif()

# The io_uring programs, built on request (bench.sh); empty without liburing.
add_custom_target(uring_programs)

function(kitchen_uring_twin target)
  if(NOT KITCHEN_URING)
    return()
  endif()
  set(twin ${target}_uring)
  get_target_property(type ${target} TYPE)
  get_target_property(sources ${target} SOURCES)
  if(type STREQUAL "EXECUTABLE")
    add_executable(${twin} ${sources})
  elseif(type STREQUAL "STATIC_LIBRARY")
    add_library(${twin} STATIC ${sources})
  else()
    message(FATAL_ERROR "kitchen_uring_twin: ${target} is a ${type}")
  endif()
  foreach(property INCLUDE_DIRECTORIES INTERFACE_INCLUDE_DIRECTORIES COMPILE_DEFINITIONS
                   INTERFACE_COMPILE_DEFINITIONS COMPILE_OPTIONS INTERFACE_COMPILE_OPTIONS
                   COMPILE_FEATURES INTERFACE_COMPILE_FEATURES)
    get_target_property(value ${target} ${property})
    if(value)
      set_property(TARGET ${twin} PROPERTY ${property} "${value}")
    endif()
  endforeach()
  foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(libraries ${target} ${property})
    if(NOT libraries)
      continue()
    endif()
    set(twinned "")
    foreach(library IN LISTS libraries)
      # A target with a twin is replaced by it, also inside $<LINK_ONLY:...>.
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" name "${library}")
      if(TARGET ${name}_uring)
        string(REPLACE "${name}" "${name}_uring" library "${library}")
      endif()
      list(APPEND twinned "${library}")
    endforeach()
    set_property(TARGET ${twin} PROPERTY ${property} "${twinned}")
  endforeach()
  target_link_libraries(${twin} PUBLIC kitchen_uring_flags)
  set_target_properties(${twin} PROPERTIES EXCLUDE_FROM_ALL TRUE)
  if(type STREQUAL "EXECUTABLE")
    add_dependencies(uring_programs ${twin})
  endif()
  get_target_property(dependencies ${target} MANUALLY_ADDED_DEPENDENCIES)
  if(dependencies)
    add_dependencies(${twin} ${dependencies})
  endif()
endfunction()
