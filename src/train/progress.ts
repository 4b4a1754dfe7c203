// Progress display: one line redrawn in place on a TTY, plain periodic lines otherwise.

export interface ProgressInfo {
  stage: string;
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  imagesPerSecond: number;
  /** Seconds left for the whole job, if known. */
  eta?: number;
  fields?: Record<string, string | number>;
}

export interface Progress {
  update(info: ProgressInfo): void;
  log(line: string): void;
  done(): void;
}

const fmtTime = (s: number) => {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
};

function render(i: ProgressInfo): string {
  const extra = Object.entries(i.fields ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(4)) : v}`);
  return [`${i.stage} epoch ${i.epoch}/${i.epochs}`, `step ${i.step}/${i.steps}`, `${i.imagesPerSecond.toFixed(1)} img/s`,
    ...(i.eta === undefined ? [] : [`ETA ${fmtTime(i.eta)}`]), ...extra].join(' | ');
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, o: { quiet?: boolean; everySeconds?: number } = {}): Progress {
  const tty = Boolean(stream.isTTY) && !o.quiet;
  let last = 0;
  let drawn = false;
  return {
    update(info) {
      if (o.quiet) return;
      const now = Date.now();
      if (tty) {
        if (now - last < 100 && info.step !== info.steps) return;
        stream.write(`\r\x1b[2K${render(info).slice(0, (stream.columns || 120) - 1)}`);
        drawn = true;
      } else {
        if (now - last < (o.everySeconds ?? 30) * 1000 && info.step !== info.steps) return;
        stream.write(`${render(info)}\n`);
      }
      last = now;
    },
    log(line) {
      if (o.quiet) return;
      if (tty && drawn) { stream.write('\r\x1b[2K'); drawn = false; }
      stream.write(`${line}\n`);
    },
    done() {
      if (tty && drawn) stream.write('\n');
      drawn = false;
    },
  };
}

export const silentProgress: Progress = { update() {}, log() {}, done() {} };
