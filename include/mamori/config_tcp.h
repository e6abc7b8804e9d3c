/* TCP compile-time options (see config.h for how to override). */
#ifndef MAMORI_CONFIG_TCP_H
#define MAMORI_CONFIG_TCP_H

#ifndef MAMORI_TCP
#define MAMORI_TCP 0
#endif

#endif
