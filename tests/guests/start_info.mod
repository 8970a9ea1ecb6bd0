xenkvm start_info module: the start_info guest compares these exact bytes.
