# Finds xtl, xtensor and Catch2 from Debian's packages, natively and under emcmake.
#
# Under Emscripten, find_package is confined to the emscripten sysroot and Debian's config
# files point at /usr/include, which must never reach em++ (glibc's headers would shadow
# emscripten's libc). So the configs are found outside the root path, and the imported
# targets are pointed at a build-dir folder that holds only symlinks to the header trees.
if(EMSCRIPTEN)
  find_package(xtl REQUIRED CONFIG NO_CMAKE_FIND_ROOT_PATH PATHS /usr/share/cmake)
  find_package(xtensor REQUIRED CONFIG NO_CMAKE_FIND_ROOT_PATH PATHS /usr/lib/x86_64-linux-gnu/cmake)
  set(GRADLAB_ISOLATED_INCLUDE ${CMAKE_BINARY_DIR}/isolated-include)
  file(MAKE_DIRECTORY ${GRADLAB_ISOLATED_INCLUDE})
  foreach(dir xtensor xtl catch2)
    if(EXISTS /usr/include/${dir} AND NOT EXISTS ${GRADLAB_ISOLATED_INCLUDE}/${dir})
      file(CREATE_LINK /usr/include/${dir} ${GRADLAB_ISOLATED_INCLUDE}/${dir} SYMBOLIC)
    endif()
  endforeach()
  set_target_properties(xtl PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${GRADLAB_ISOLATED_INCLUDE})
  set_target_properties(xtensor PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${GRADLAB_ISOLATED_INCLUDE})
  if(GRADLAB_TESTS)
    find_package(Catch2 REQUIRED CONFIG NO_CMAKE_FIND_ROOT_PATH PATHS /usr/lib/cmake)
    set_target_properties(Catch2::Catch2 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${GRADLAB_ISOLATED_INCLUDE})
  endif()
else()
  find_package(xtl REQUIRED)
  find_package(xtensor REQUIRED)
  if(GRADLAB_TESTS)
    find_package(Catch2 REQUIRED)
  endif()
endif()
