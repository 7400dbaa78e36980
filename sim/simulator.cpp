#include "sim/simulator.hpp"

#include <sstream>
#include <stdexcept>

namespace crowdsim::sim {

void Simulator::refuse(Time time, std::uint32_t kind) const {
  std::ostringstream os;
  os.precision(17);
  os << "sim::Simulator: event \"" << kind_name(kind) << "\" scheduled at t = " << time
     << " s, before now (t = " << now_ << " s); a model may not schedule into the past";
  throw std::logic_error(os.str());
}

}  // namespace crowdsim::sim
