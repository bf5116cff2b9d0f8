"""Desktop GUI: menu, toolbar, docks and forms (imported only from initGui)."""
