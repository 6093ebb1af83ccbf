import GUSPAPI
