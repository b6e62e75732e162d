@echo off
rem Runs the onfs command from an unpacked distribution: bin\onfs <command> [options].
rem Java 17 or newer: JAVA_HOME\bin\java when JAVA_HOME is set, else java on the PATH.
setlocal
set "ONFS_HOME=%~dp0.."
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" %JAVA_OPTS% -jar "%ONFS_HOME%\lib\onfs.jar" %*
