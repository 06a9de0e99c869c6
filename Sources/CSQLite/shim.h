#ifndef WG_CSQLITE_SHIM_H
#define WG_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
