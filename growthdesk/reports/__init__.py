"""Term portfolio PDFs (学期成长档案): data gathering, layout, batch runs."""
