#ifndef WG_CSQLITE_SHIM_H
#define WG_CSQLITE_SHIM_H
#include <sqlite3.h>

/// sqlite3_db_config is variadic, so Swift cannot call it: keep a connection from
/// checkpointing the WAL into the main file when it closes (used when refusing a
/// damaged database, so that nothing is written to it).
static inline int wg_sqlite3_disable_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

#endif
