"""The 图斑列表 dock: every patch of the workspace, filtered, sorted and navigable."""
