# Image decoding, EXIF orientation, resampling and preprocessing; the inputs are encoded in the
# tests themselves (libjpeg-turbo, libpng), damaged variants included.
pixellm_add_test(image_test
  ${CMAKE_CURRENT_LIST_DIR}/test_encoders.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sha256_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exif_orientation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resample_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_decode_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_image_test.cpp)
find_package(ZLIB REQUIRED)
target_link_libraries(image_test PRIVATE ZLIB::ZLIB)
