/* Application protocol options: DHCP, DNS, SNTP (see config.h). */
#ifndef MAMORI_CONFIG_APP_H
#define MAMORI_CONFIG_APP_H

#endif
