"""The document model (pages of blocks: paragraphs and tables of cells) and the records the
structure finders make of it. It sits below the extractors: normalizers <- datamodel <-
extractors <- pipeline -> output."""
