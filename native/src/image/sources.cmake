# Image decoding (libjpeg-turbo, libpng), EXIF orientation, Pillow-exact resampling, CLIP preprocessing.
list(APPEND PIXELLM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/image_limits.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exif_orientation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/jpeg_decode.cpp
  ${CMAKE_CURRENT_LIST_DIR}/png_decode.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_decode.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resample.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sha256.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clip_preprocess.cpp
)
