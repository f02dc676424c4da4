/**
 * A uniform grid over the points in data units, so "which point is under the mouse" looks at a few
 * cells instead of every point: built once per layout (O(n)), queried per mouse move.
 */
import type { Bounds } from './view-transform';

/** Points bucketed by grid cell. */
export class HitIndex {
  private readonly cellSize: number;
  private readonly columns: number;
  private readonly rows: number;
  /** Start of each cell's run in `order` (length cells + 1). */
  private readonly starts: Uint32Array;
  /** Point indices sorted by cell. */
  private readonly order: Uint32Array;

  /**
   * @param perCell average points per occupied cell aimed for. Default: 4.
   */
  constructor(
    private readonly xs: ArrayLike<number>,
    private readonly ys: ArrayLike<number>,
    private readonly bounds: Bounds,
    perCell = 4,
  ) {
    const n = xs.length;
    const spanX = Math.max(bounds.maxX - bounds.minX, 1e-9);
    const spanY = Math.max(bounds.maxY - bounds.minY, 1e-9);
    const cells = Math.max(1, Math.ceil(n / perCell));
    this.cellSize = Math.max(Math.sqrt((spanX * spanY) / cells), 1e-9);
    this.columns = Math.min(4096, Math.max(1, Math.ceil(spanX / this.cellSize)));
    this.rows = Math.min(4096, Math.max(1, Math.ceil(spanY / this.cellSize)));
    const counts = new Uint32Array(this.columns * this.rows + 1);
    const cellOf = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const cell = this.cellAt(xs[i]!, ys[i]!);
      cellOf[i] = cell;
      counts[cell + 1]!++;
    }
    for (let c = 1; c < counts.length; c++) counts[c]! += counts[c - 1]!;
    this.starts = counts.slice();
    const fill = counts;
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.order[fill[cellOf[i]!]!++] = i;
  }

  /**
   * The point nearest to (`x`, `y`) within `radius` data units, or -1. Among points at the same
   * distance the last one (drawn on top) wins.
   */
  nearest(x: number, y: number, radius: number): number {
    let best = -1;
    let bestD2 = radius * radius;
    this.visit(x - radius, y - radius, x + radius, y + radius, (i) => {
      const dx = this.xs[i]! - x;
      const dy = this.ys[i]! - y;
      const d2 = dx * dx + dy * dy;
      if (d2 < bestD2 || (d2 === bestD2 && i > best)) {
        bestD2 = d2;
        best = i;
      }
    });
    return best;
  }

  /** Every point index whose cell overlaps the box (callers test the exact shape). */
  candidates(box: Bounds): number[] {
    const found: number[] = [];
    this.visit(box.minX, box.minY, box.maxX, box.maxY, (i) => found.push(i));
    return found;
  }

  private visit(minX: number, minY: number, maxX: number, maxY: number, each: (i: number) => void): void {
    const c0 = this.column(minX);
    const c1 = this.column(maxX);
    const r0 = this.row(minY);
    const r1 = this.row(maxY);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.columns + c;
        for (let k = this.starts[cell]!; k < this.starts[cell + 1]!; k++) each(this.order[k]!);
      }
    }
  }

  private column(x: number): number {
    return Math.min(this.columns - 1, Math.max(0, Math.floor((x - this.bounds.minX) / this.cellSize)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.bounds.minY) / this.cellSize)));
  }

  private cellAt(x: number, y: number): number {
    return this.row(y) * this.columns + this.column(x);
  }
}
