"""Reading and writing journeys: JSON, Excel, a folder of CSV files.

Every writer is atomic; every reader validates and names what is wrong.
"""

from .csv_io import read_csv, to_csv
from .excel_io import read_excel, to_excel
from .json_io import read_json, to_json
from .schema import SCHEMA_VERSION, load_schema

__all__ = [
    "SCHEMA_VERSION",
    "load_schema",
    "read_csv",
    "read_excel",
    "read_json",
    "to_csv",
    "to_excel",
    "to_json",
]
