"""OpenCV helpers whose shortcuts must give the same answers as the slow, obvious way."""

import cv2
import numpy as np

from vision.preprocess import component_boxes


def test_component_boxes_match_opencv_statistics_with_nested_and_touching_shapes():
    image = np.zeros((300, 400), np.uint8)
    cv2.rectangle(image, (10, 10), (390, 290), 1, 2)        # a table border ...
    cv2.putText(image, "8 O B", (40, 120), cv2.FONT_HERSHEY_SIMPLEX, 2, 1, 3)  # ... text with holes inside it
    cv2.rectangle(image, (60, 180), (140, 260), 1, 2)       # a box in the box ...
    cv2.circle(image, (100, 220), 15, 1, -1)                # ... with a blob in its hole
    image[200, 300] = image[201, 301] = 1                  # diagonal neighbours: one 8-connected component
    count, _, stats, _ = cv2.connectedComponentsWithStats(image, connectivity=8)
    expected = sorted(map(tuple, stats[1:, :4].tolist()))
    assert sorted(map(tuple, component_boxes(image).tolist())) == expected
    assert len(expected) >= 7
    assert component_boxes(np.zeros((20, 20), np.uint8)).shape == (0, 4)
