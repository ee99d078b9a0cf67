// Release benchmark of the discrete engines, for side-by-side comparison with other samplers on
// the same instance file (scripts/compare-ising-peers). Times the optimizer exactly as a trial
// runs it (through SpinObjective), single thread, and prints flip attempts per second.
//
//   ising-speed sa-spin   FILE SWEEPS [BETA_HOT BETA_COLD]        geometric β schedule
//   ising-speed piqa-spin FILE SWEEPS SLICES BETA GAMMA0 GAMMA1   linear Γ, local moves only
//   ising-speed gen-regular N K SEED OUT                      write a random k-regular ±J instance
import Foundation
import Landscapes
import Optimizers

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ising-speed: \(message)\n".utf8))
    exit(2)
}

let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else { fail("usage: ising-speed sa-spin|piqa-spin|gen-regular …") }

if command == "gen-regular" {
    guard args.count == 5, let n = Int(args[1]), let k = Int(args[2]), let seed = UInt64(args[3]) else {
        fail("usage: ising-speed gen-regular N K SEED OUT")
    }
    let model = try IsingModel.randomRegular(size: n, degree: k, seed: seed)
    let text = "# random \(k)-regular graph, N = \(n), J = ±1, seed \(seed); H = −Σ J s s\n"
        + model.edges.map { "\($0.0 + 1) \($0.1 + 1) \(formatReal($0.2))" }.joined(separator: "\n") + "\n"
    try text.write(toFile: args[4], atomically: true, encoding: .utf8)
    exit(0)
}

if let now = ["sa": "sa-spin", "sqa": "piqa-spin"][command] { fail("'\(command)' is now '\(now)', the optimizer's name") }
guard command == "sa-spin" || command == "piqa-spin" else { fail("unknown command '\(command)' (expected sa-spin, piqa-spin or gen-regular)") }
guard args.count >= 3, let sweeps = Int(args[2]) else { fail("usage: ising-speed \(command) FILE SWEEPS …") }
guard let text = try? String(contentsOfFile: args[1], encoding: .utf8) else { fail("\(args[1]): cannot be read (expected an edge list of 'i j J' lines)") }
let model: IsingModel
do { model = try IsingModel.parse(edgeList: text, source: args[1]) } catch { fail("\(error)") }
var rng = Xoshiro256(seed: 1)
let start = model.randomState(using: &rng)
let optimizer: any SpinOptimizer
var attempts: Int
switch command {
case "sa-spin":
    var overrides = [String: String]()
    if args.count >= 5 { overrides = ["beta-initial": args[3], "beta-final": args[4]] }
    optimizer = try OptimizerCatalog.make("sa-spin", overrides: overrides) as! any SpinOptimizer
    attempts = sweeps * model.size
case "piqa-spin":
    guard args.count >= 7 else { fail("usage: ising-speed piqa-spin FILE SWEEPS SLICES BETA GAMMA0 GAMMA1") }
    optimizer = try OptimizerCatalog.make("piqa-spin", overrides: [
        "slices": args[3], "beta": args[4], "gamma-initial": args[5], "gamma-final": args[6], "global-moves": "false"]) as! any SpinOptimizer
    attempts = sweeps * model.size * Int(args[3])!
default:
    fail("unknown command '\(command)'")
}
var objective = SpinObjective(model: model, budget: attempts, start: start, escapeThreshold: -.infinity, successThreshold: nil)
let clock = ContinuousClock.now
_ = optimizer.minimize(&objective, from: start, using: &rng)
let elapsed = ContinuousClock.now - clock
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
print(String(format: "%@ N=%d attempts=%d seconds=%.4f attempts_per_s=%.4e best=%.6f",
             command, model.size, objective.spent, seconds, Double(objective.spent) / seconds, objective.bestEnergy))
