// placeholder: written by the search client work
