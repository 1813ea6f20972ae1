// Asio and Beast are compiled once, here (BOOST_*_SEPARATE_COMPILATION): every other file that
// uses them only includes declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
