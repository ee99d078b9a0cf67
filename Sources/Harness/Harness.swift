import Landscapes
