"""Paper finding on hard phone photos (``tests/vision/receipt_corpus.hard_photo``): a receipt
small in the frame, seen at a slant, under a strong shadow, on a dark, patterned or pale
surface. For each photo the paper finder's four corners are compared with where the paper
truly lies:

- IoU of the cut-out with the paper (1.0: exactly the paper);
- print lost: the share of the receipt's print outside the cut-out (must be 0: a total cut
  away is a total nobody reads);
- with ``--read``, the total and date read from the photo as deskbot reads it.

    .venv/bin/python benchmarks/paper_finding.py [--n 40] [--seed 280000] [--read]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from tests.vision.receipt_corpus import (HardShot, LAYOUTS, KEPT_OUT_EN_LAYOUTS, hard_photo, make_receipt,  # noqa: E402
                                         render, same_amount, same_date)
from vision.preprocess import paper_corners, to_gray  # noqa: E402

SURFACES = ("dark", "wood", "tiles", "light")


def hard_shot(rnd: random.Random, surface: str) -> HardShot:
    """A hard photo's settings drawn at random within what phones show."""
    light = surface == "light"
    return HardShot(width=rnd.choice([700, 900, 1200]), share=rnd.uniform(0.2, 0.4), pitch=rnd.uniform(0, 25),
                    turn=rnd.uniform(-10, 10), curl=rnd.choice([0.0, 0.0, 0.008, 0.015]),
                    shadow=rnd.choice([0.0, 0.5, 0.7, 0.85]), surface=surface,
                    paper=rnd.randint(215, 245) if light else rnd.randint(190, 245),
                    faint=rnd.choice([0.0, 0.3, 0.5]))


def _polygon_mask(points: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.round(points).astype(np.int32)], 1)
    return mask


def measure(receipt, shot: HardShot, path: Path) -> dict:
    path, truth = hard_photo(receipt, shot, path)
    gray = to_gray(cv2.imread(str(path)))
    started = time.process_time()
    found = paper_corners(gray)
    cpu = time.process_time() - started
    paper = _polygon_mask(truth, gray.shape)
    # the print: the receipt's ink, warped where the photo put it
    ink_flat = (render(receipt, px_per_mm=shot.width / 80, faint=shot.faint) < 160).astype(np.float32)
    h, w = ink_flat.shape
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), truth.astype(np.float32))
    ink = cv2.warpPerspective(ink_flat, matrix, gray.shape[::-1]) > 0.5
    if found is None:
        return {"iou": 0.0, "lost": 0.0, "how": "none (whole photo read)", "cpu": cpu, "path": path}
    cut = _polygon_mask(found[0], gray.shape)
    iou = np.count_nonzero(cut & paper) / max(np.count_nonzero(cut | paper), 1)
    lost = np.count_nonzero(ink & (cut == 0)) / max(np.count_nonzero(ink), 1)
    return {"iou": iou, "lost": lost, "how": found[1], "cpu": cpu, "path": path}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=280000)
    parser.add_argument("--read", action="store_true", help="also read total and date (slow)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deskbot-paper-"))
    layouts = LAYOUTS + KEPT_OUT_EN_LAYOUTS
    rows = []
    for i in range(args.n):
        seed = args.seed + i
        rnd = random.Random(seed)
        shot = hard_shot(rnd, SURFACES[i % len(SURFACES)])
        receipt = make_receipt(seed, layouts[i % len(layouts)])
        row = measure(receipt, shot, work / f"hard-{seed}.jpg")
        if args.read:
            from vision import CheckPolicy, read_invoice

            result = read_invoice(str(row["path"]), templates=[], policy=CheckPolicy(max_age_days=100_000))
            row["total"] = same_amount(result.value("amount"), receipt.truth["amount"])
            row["date"] = same_date(result.value("date"), receipt.truth["date"])
        rows.append(row)
        fields = (f" total {'ok ' if row['total'] else 'BAD'} date {'ok ' if row['date'] else 'BAD'}"
                  if args.read else "")
        print(f"  {seed} {receipt.layout:20s} {shot.label():62s} IoU {row['iou']:.2f} print lost "
              f"{row['lost']:5.1%}{fields}  {row['how']}", flush=True)
    n = len(rows)
    print(f"\nPAPER FINDING on {n} hard photos (seeds {args.seed}+, {work}): mean IoU "
          f"{sum(r['iou'] for r in rows) / n:.3f}, IoU >= 0.9 on {sum(r['iou'] >= 0.9 for r in rows)}, "
          f"print lost on {sum(r['lost'] > 0.002 for r in rows)}, no paper found on "
          f"{sum(r['how'].startswith('none') for r in rows)}; CPU {sum(r['cpu'] for r in rows) / n * 1000:.0f} ms "
          f"a photo")
    if args.read:
        print(f"  total right {sum(r['total'] for r in rows)}/{n}, date right {sum(r['date'] for r in rows)}/{n}")
    for surface in SURFACES:
        part = [r for i, r in enumerate(rows) if SURFACES[i % len(SURFACES)] == surface]
        if part:
            print(f"  {surface:6s} mean IoU {sum(r['iou'] for r in part) / len(part):.3f}, print lost on "
                  f"{sum(r['lost'] > 0.002 for r in part)} of {len(part)}")


if __name__ == "__main__":
    main()
