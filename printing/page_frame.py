"""Where each element sits on an A4 or A3 portrait page (millimetres)."""
from __future__ import annotations

from dataclasses import dataclass

PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
MARGIN = 10.0
GAP = 4.0
ROW_MM = 5.6  # coordinate-table row pitch (content + 2 × cell margin + grid)
CELL_MARGIN = 0.8
GRID = 0.2


@dataclass(frozen=True)
class PageFrame:
    """Rectangles (x, y, w, h) of the page's parts; everything scales with the paper."""

    paper: str
    width: float
    height: float

    @classmethod
    def for_paper(cls, paper: str) -> PageFrame:
        width, height = PAPERS[paper]
        return cls(paper, width, height)

    @property
    def column(self) -> float:
        """Width of one of the two columns (maps, tables)."""
        return (self.width - 2 * MARGIN - GAP) / 2

    @property
    def right(self) -> float:
        return MARGIN + self.column + GAP

    def title(self):
        return MARGIN, MARGIN, self.width - 2 * MARGIN, 10.0

    def subtitle(self):
        return MARGIN, MARGIN + 10.0, self.width - 2 * MARGIN, 6.0

    def caption(self, after: bool):
        return (self.right if after else MARGIN), MARGIN + 18.0, self.column, 5.0

    def map(self, after: bool):
        return (self.right if after else MARGIN), MARGIN + 23.0, self.column, self.column

    @property
    def below_maps(self) -> float:
        return MARGIN + 23.0 + self.column + 2.0

    def scale_text(self):
        return MARGIN, self.below_maps, self.column, 5.0

    def scale_bar(self):
        return MARGIN, self.below_maps + 5.0, self.column * 0.75, 10.0

    def crs_note(self):
        return MARGIN, self.below_maps + 16.0, self.column, 12.0

    def legend(self):
        return self.right, self.below_maps, self.column, 28.0

    @property
    def tables_top(self) -> float:
        return self.below_maps + 30.0

    @property
    def footer_top(self) -> float:
        return self.height - MARGIN - 28.0

    def info_table(self):
        return MARGIN, self.tables_top, self.column, self.footer_top - self.tables_top - 2.0

    def point_table_title(self):
        return self.right, self.tables_top, self.column, 5.0

    def point_table(self):
        return self.right, self.tables_top + 5.0, self.column, self.footer_top - self.tables_top - 7.0

    def office(self):
        return MARGIN, self.footer_top, self.width - 2 * MARGIN, 6.0

    def sign_off(self):
        return MARGIN, self.footer_top + 7.0, self.width - 2 * MARGIN, 21.0

    def north_arrow(self):
        x, y, w, _ = self.map(after=True)
        return x + w - 11.0, y + 1.5, 9.5, 15.0

    # continuation (续表) pages: the table takes the whole page
    def continued_point_table(self):
        top = MARGIN + 23.0
        return MARGIN, top, self.width - 2 * MARGIN, self.height - MARGIN - top

    def rows_first_page(self) -> int:
        """Coordinate rows that fit under the header row on the first page."""
        return int(self.point_table()[3] // ROW_MM) - 1

    def rows_later_page(self) -> int:
        return int(self.continued_point_table()[3] // ROW_MM) - 1
