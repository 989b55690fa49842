#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "optfile/internal.h"

/*
 * The option names the backup-archive client and its API document for
 * dsm.sys and dsm.opt on UNIX, as its options reference spells them: the
 * upper-case part is the shortest abbreviation it takes. -setopt writes
 * only these (and the ones optfile_opts[] knows), because the client
 * refuses to start on an option it does not know; a newer client's new
 * option is written with -force. Names the client takes in any
 * abbreviation of at least their whole upper-case part are listed once.
 */
static const char *const documented[] = {
	"ARCHMc", "ARCHSYMLinkasfile", "ASNODEname", "AUDITLOGGing",
	"AUDITLOGName", "AUTODEPloy", "AUTOFsrename", "AUTOMount",
	"BACKUPREGISTRY",
	"CHAngingretries", "CLUSTERnode", "COLlocatebyfilespec",
	"COMMMethod", "COMMRESTARTDuration", "COMMRESTARTInterval",
	"COMPRESSAlways", "COMPRESSIon", "CREATENEWBase",
	"DATEformat", "DEDUPCACHEPath", "DEDUPCACHESize", "DEDUPLication",
	"DEFAULTServer", "DIRMc", "DIRSOnly", "DISKBuffsize",
	"DISKCACHELocation", "DISKCACHEMethod", "DOMain", "DOMAIN.Image",
	"DOMAIN.NAS", "DOMAIN.VMFull", "DYNAMICImage",
	"EFSDecrypt", "ENABLEARCHIVERETENTIONProtection", "ENABLEDEDUPCache",
	"ENABLEINSTRUMENTATION", "ENABLELanfree", "ENCRYPTIONType",
	"ENCRYPTKey", "ERRORLOGMax", "ERRORLOGName", "ERRORLOGRetention",
	"EXCLude", "EXCLUDE.ARCHive", "EXCLUDE.ATTRIBUTE.SYMLINK",
	"EXCLUDE.BACKup", "EXCLUDE.COMPRESSION", "EXCLUDE.DEDUPlication",
	"EXCLUDE.DIR", "EXCLUDE.ENCRYPT", "EXCLUDE.FILE", "EXCLUDE.FS",
	"EXCLUDE.FS.NAS", "EXCLUDE.IMAGE", "EXCLUDE.VMDISK",
	"FOLlowsymbolic", "FROMNode",
	"GROUPs",
	"HSMDISABLEAUTOMIGDAEMONS", "HTTPport",
	"IEOBJtype", "IFNewer", "INCLEXCL", "INCLude", "INCLUDE.ARCHive",
	"INCLUDE.ATTRIBUTE.SYMLINK", "INCLUDE.BACKup", "INCLUDE.COMPRESSION",
	"INCLUDE.DEDUPlication", "INCLUDE.ENCRYPT", "INCLUDE.FILE",
	"INCLUDE.FS", "INCLUDE.FS.NAS", "INCLUDE.IMAGE", "INCLUDE.VM",
	"INCLUDE.VMDISK", "INCRBYDate", "INSTRLOGMax", "INSTRLOGName",
	"LANFREECommmethod", "LANFREEShmport", "LANFREESSL",
	"LANFREETCPport", "LANFREETCPServeraddress", "LARGECOMmbuffers",
	"MAILprog", "MAKesparsefile", "MANAGEDServices", "MAXCMDRetries",
	"MEMORYEFficientbackup", "MIGRATEServer", "MYPRIMARYServer",
	"MYREPLICATIONServer",
	"NASNodename", "NFSTimeout", "NODename", "NRTABLEPath",
	"NUMberformat",
	"PASSWORD", "PASSWORDAccess", "PASSWORDDIR", "POSTNschedulecmd",
	"POSTSchedulecmd", "PRENschedulecmd", "PRESchedulecmd",
	"PRESERVELastaccessdate", "PRESERVEPath",
	"QUERYSCHedperiod", "QUIET",
	"REPLace", "REPLSERVERGuid", "REPLSERVERName", "REPLSSLPort",
	"REPLTCPPort", "REPLTCPServeraddress", "RESOURCEUTILization",
	"RETRYPeriod", "REVOKEREMOTEAccess",
	"SCHEDCMDDisabled", "SCHEDCMDUser", "SCHEDLOGMax", "SCHEDLOGName",
	"SCHEDLOGRetention", "SCHEDMODe", "SCHEDRESTRETRDisabled",
	"SErvername", "SESSIONINITiation", "SHMPort", "SKIPACL",
	"SKIPACLUPdatecheck", "SNAPSHOTPROVIDERFs", "SNAPSHOTPROVIDERImage",
	"SNAPSHOTROOT", "SRVPREPOSTSCHeddisabled", "SRVPREPOSTSNapdisabled",
	"SSL", "SSLACCEPTCERTFROMSERV", "SSLDISABLELEGACYtls",
	"SSLFIPSMODE", "SSLREQuired", "STAGINGDirectory", "SUBdir",
	"TAPEPrompt", "TCPADMINAddress", "TCPADMINPort", "TCPBuffsize",
	"TCPCADAddress", "TCPCLIENTAddress", "TCPCLIENTPort", "TCPNodelay",
	"TCPPort", "TCPServeraddress", "TCPWindowsize", "TESTFLAG",
	"TIMEformat", "TXNBytelimit",
	"USEDIRectory", "USEUNICODEFilenames",
	"VERBOSE", "VERIFYImage", "VIRTUALFsname", "VIRTUALMountpoint",
	"VIRTUALNodename", "VMBACKDir", "VMBACKNODElete", "VMBACKUPType",
	"VMCHost", "VMCPw", "VMCTLMc", "VMCUser", "VMENABLETEMPLATEBACKUPS",
	"VMLIMITPERDatastore", "VMLIMITPERHost", "VMMAXParallel",
	"VMMAXPERSNAPSHOT", "VMMAXVIRTUALDISKS", "VMMC",
	"VMPROCESSVMWITHINDEPENDENT", "VMPROCESSVMWITHPRDM",
	"VMSKIPCTLCOMPRESSION", "VMSKIPMAXVIRTUALDISKS", "VMTIMEOUT",
	"VMVSTORTRANSPORT",
	"WEBPorts",
};

#define NDOCUMENTED (sizeof(documented) / sizeof(documented[0]))

/* The upper-case part of a spelling: its shortest abbreviation. */
static size_t
min_len(const char *spelling)
{
	size_t n = 0;

	while (spelling[n] != '\0' && !islower((unsigned char)spelling[n]))
		n++;
	return n;
}

int
optfile_documented(const char *name)
{
	size_t wlen = strlen(name);

	for (size_t i = 0; i < NDOCUMENTED; i++) {
		const char *d = documented[i];

		if (wlen >= min_len(d) && wlen <= strlen(d) &&
		    strncasecmp(name, d, wlen) == 0)
			return 1;
	}
	return 0;
}

/* Edit distance without case, for the nearest name; capped at 64. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[65];

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best;

			best = diag + (toupper((unsigned char)a[i - 1]) !=
			    toupper((unsigned char)b[j - 1]));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *
optfile_nearest(const char *name)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, len = strlen(name);

	for (size_t i = 0; i < NDOCUMENTED; i++) {
		size_t d = distance(name, documented[i]);

		if (d < bestd) {
			bestd = d;
			best = documented[i];
		}
	}
	/* A guess further off than a quarter of the name helps nobody. */
	if (best == NULL || bestd > 2 + len / 4)
		return NULL;
	return best;
}
