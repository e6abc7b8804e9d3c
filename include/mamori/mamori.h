/* mamori: everything a user includes. */
#ifndef MAMORI_H
#define MAMORI_H

#include "mamori/config.h"
#include "mamori/error.h"
#include "mamori/net.h"
#include "mamori/port.h"
#include "mamori/stack.h"
#include "mamori/stats.h"

#endif
