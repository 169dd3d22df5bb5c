// A file the cast check must refuse (tests/casts/check_casts.cmake): a downcast and a cast of
// bytes to a wider type. Never compiled.
#include <cstdint>
#include <string>

struct Base {
  virtual ~Base() = default;
};
struct Derived : Base {};

Derived& Down(Base& base) { return static_cast<Derived&>(base); }
uint32_t Word(const std::string& bytes) { return *reinterpret_cast<const uint32_t*>(bytes.data()); }
const char* Fine(const unsigned char* bytes) { return reinterpret_cast<const char*>(bytes); }
