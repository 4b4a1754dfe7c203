// Ctrl-C as users expect it of a long run: the first SIGINT or SIGTERM asks the run to stop at its
// next step (fit and the search loop write a checkpoint there and throw `Interrupted`, so the same
// command resumes); a second one exits at once. The loops are synchronous, so the signal is a
// native flag they poll (Node's signal events would only fire after the run).
import { native } from '../tensor/native.js';

/** What fit and the search poll between steps; an AbortSignal is one. */
export interface StopRequest { readonly aborted: boolean }

let installed = false;

/** A StopRequest set by this process' first SIGINT/SIGTERM; `note` is told once, when a loop sees it. */
export function stopOnSignals(note: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): StopRequest {
  if (!installed) { native.installStopSignals(); installed = true; }
  let told = false;
  return {
    get aborted() {
      const sig = native.stopSignal();
      if (sig !== 0 && !told) {
        told = true;
        note(`\nlnas: ${sig === 2 ? 'SIGINT' : sig === 15 ? 'SIGTERM' : `signal ${sig}`}: stopping at this step and writing a checkpoint (again to quit at once)`);
      }
      return sig !== 0;
    },
  };
}
