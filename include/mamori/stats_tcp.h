/* TCP counters, part of MAMORI_STATS_LIST (see stats.h). */
#ifndef MAMORI_STATS_TCP_H
#define MAMORI_STATS_TCP_H

#define MAMORI_STATS_TCP(X)

#endif
