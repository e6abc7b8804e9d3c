/* DHCP, DNS and SNTP counters, part of MAMORI_STATS_LIST (see stats.h). */
#ifndef MAMORI_STATS_APP_H
#define MAMORI_STATS_APP_H

#define MAMORI_STATS_APP(X)

#endif
