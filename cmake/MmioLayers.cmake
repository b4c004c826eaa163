# The library's layers, read from the table in docs/design.md, which is the
# one place the layering rule is written (tests/layers/check_layers.py
# reads the same rows to check the built objects).
#
# mmio_add_layers() defines, for each layer L of the table:
#   mmio_L_internal  an INTERFACE target: L's folder and the public include
#                    directory, plus the same of every layer L may use; a
#                    test links it to reach L's internal header
#   mmio_layer_L     an OBJECT library of every .c file in L's folder
# and sets MMIO_LAYERS (the names, in table order) and, per layer,
# MMIO_LAYER_<L>_LIBRARY (the library it goes into) in the caller's scope.

function(mmio_add_layers)
  set(table ${PROJECT_SOURCE_DIR}/docs/design.md)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${table})
  file(STRINGS ${table} rows REGEX "^\\| `[a-z]+` \\| `src/")
  set(layers)
  foreach(row IN LISTS rows)
    # | `name` | `folder` | `library` | headers | `use` `use` |
    if(NOT row MATCHES "^\\| `([a-z]+)` \\| `([^`]+)` \\| `([^`]+)` \\|[^|]*\\|([^|]*)\\|$")
      message(FATAL_ERROR "docs/design.md: cannot read the layer row: ${row}")
    endif()
    set(name ${CMAKE_MATCH_1})
    set(folder ${CMAKE_MATCH_2})
    set(library ${CMAKE_MATCH_3})
    string(REGEX MATCHALL "`[a-z]+`" uses "${CMAKE_MATCH_4}")
    string(REPLACE "`" "" uses "${uses}")

    add_library(mmio_${name}_internal INTERFACE)
    target_include_directories(mmio_${name}_internal INTERFACE
      ${PROJECT_SOURCE_DIR}/${folder} ${PROJECT_SOURCE_DIR}/include)
    foreach(use IN LISTS uses)
      if(NOT TARGET mmio_${use}_internal)
        message(FATAL_ERROR "docs/design.md: layer ${name} uses ${use}, which is not above it in the table")
      endif()
      target_link_libraries(mmio_${name}_internal INTERFACE mmio_${use}_internal)
    endforeach()

    file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.c)
    add_library(mmio_layer_${name} OBJECT ${sources})
    target_link_libraries(mmio_layer_${name} PRIVATE mmio_${name}_internal)
    # Both libraries are built from the same objects; only MMIO_API
    # declarations are exported from the shared one.
    set_target_properties(mmio_layer_${name} PROPERTIES
      POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)

    list(APPEND layers ${name})
    set(MMIO_LAYER_${name}_LIBRARY ${library} PARENT_SCOPE)
  endforeach()
  set(MMIO_LAYERS ${layers} PARENT_SCOPE)
endfunction()

# The objects of every layer that goes into library lib ("mmio", ...).
function(mmio_layer_objects out lib)
  set(objects)
  foreach(name IN LISTS MMIO_LAYERS)
    if(MMIO_LAYER_${name}_LIBRARY STREQUAL lib)
      list(APPEND objects $<TARGET_OBJECTS:mmio_layer_${name}>)
    endif()
  endforeach()
  set(${out} ${objects} PARENT_SCOPE)
endfunction()
