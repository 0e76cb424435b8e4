#ifndef TPGW_CLIBPQ_SHIM_H
#define TPGW_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
