// Templates: parsed from anything a user types into a URL, a header or a custom payload, and
// rendered against a contact and an event.
#include <boost/json/parse.hpp>

#include "fuzz_input.h"
#include "templates/template.h"

namespace {

const boost::json::object& context() {
  static const boost::json::object value =
      boost::json::parse(
          R"({"contact":{"id":"42","email":"ana@example.com","first_name":"Ana","idade":31,)"
          R"("salário":1234.5,"tags":["a","b"],"nested":{"k":[1,{"x":null}]}},)"
          R"("event":{"id":"e1","name":"email.click","campaign_name":"Sample ✓","total":9.5},)"
          R"("journey":{"id":"j1","name":"Welcome → CRM"},"webhook":{"name":"CRM"}})")
          .as_object();
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hookline;
  const std::string_view text = fuzz::as_text(data, size);
  (void)templates::check_url_template(text);
  auto parsed = templates::Template::parse(text);
  if (!parsed) return 0;
  templates::Warnings warnings;
  (void)parsed->render_text(context(), warnings);
  (void)parsed->render_json(context(), warnings);
  (void)templates::render_url(*parsed, context(), warnings);
  return 0;
}
