"""Reading tables from uploaded files: CSV with the csv module, workbooks with python-calamine."""
