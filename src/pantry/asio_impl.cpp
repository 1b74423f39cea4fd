// Asio's implementation, compiled here once when BOOST_ASIO_SEPARATE_COMPILATION is defined
// (the sanitizer presets, CMakeLists.txt); empty in the header-only release build, where every
// file that includes Asio compiles the parts it uses.
#ifdef BOOST_ASIO_SEPARATE_COMPILATION
#include <boost/asio/impl/src.hpp>
#endif
