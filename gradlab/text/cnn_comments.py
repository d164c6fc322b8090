CNN_COMMENTS: dict[str, tuple[str, str]] = {}
