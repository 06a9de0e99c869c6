#ifndef WG_CLIBPQ_SHIM_H
#define WG_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
