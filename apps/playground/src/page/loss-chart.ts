/**
 * A live loss curve on a canvas: every step's loss in light grey and a running mean in blue,
 * redrawn as points arrive (the y axis spans the losses seen so far).
 */
export class LossChart {
  private readonly losses: number[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Forgets the curve (a new training run). */
  reset(): void {
    this.losses.length = 0;
    this.draw();
  }

  /** Adds one step's loss and redraws. */
  add(loss: number): void {
    this.losses.push(loss);
    this.canvas.dataset.points = String(this.losses.length);
    this.draw();
  }

  /** Mean of the last `window` losses (the smoothed value the chart draws). */
  recentMean(window = 20): number {
    const recent = this.losses.slice(-window);
    return recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length);
  }

  private draw(): void {
    const context = this.canvas.getContext('2d');
    if (!context) return;
    const { width, height } = this.canvas;
    const pad = 32;
    context.clearRect(0, 0, width, height);
    context.fillStyle = '#5a6275';
    context.font = '12px sans-serif';
    if (this.losses.length === 0) return;
    const high = Math.max(...this.losses);
    const low = Math.min(0, ...this.losses);
    const x = (i: number) => pad + (i / Math.max(1, this.losses.length - 1)) * (width - 2 * pad);
    const y = (v: number) => height - pad - ((v - low) / (high - low || 1)) * (height - 2 * pad);
    context.fillText(`loss ${high.toFixed(2)}`, 4, pad - 8);
    context.fillText(`${low.toFixed(2)}`, 4, height - pad + 14);
    context.fillText(`step ${this.losses.length}`, width - pad - 50, height - 8);
    this.line(context, this.losses, x, y, '#c4c9d4');
    const smoothed = this.losses.map((_, i) => {
      const from = Math.max(0, i - 19);
      const window = this.losses.slice(from, i + 1);
      return window.reduce((a, b) => a + b, 0) / window.length;
    });
    this.line(context, smoothed, x, y, '#2b6cd6');
  }

  private line(
    context: CanvasRenderingContext2D,
    values: number[],
    x: (i: number) => number,
    y: (v: number) => number,
    colour: string,
  ): void {
    context.strokeStyle = colour;
    context.lineWidth = 2;
    context.beginPath();
    values.forEach((v, i) => {
      if (i === 0) context.moveTo(x(i), y(v));
      else context.lineTo(x(i), y(v));
    });
    context.stroke();
  }
}
