@echo off
chcp 65001 >nul
rem Double-click: run the briefing from this folder with the project's .venv or its conda env.
setlocal
cd /d "%~dp0"
set "ENV_NAME=fangshan-campaign-analysis"
set "PYTHONUTF8=1"
set "PYTHONHASHSEED=0"
set "MPLBACKEND=Agg"
set "PY="
if exist ".venv\Scripts\python.exe" set "PY=%CD%\.venv\Scripts\python.exe"
if defined PY goto run
if /i "%CONDA_DEFAULT_ENV%"=="%ENV_NAME%" if exist "%CONDA_PREFIX%\python.exe" call :use "%CONDA_PREFIX%"
if defined PY goto run
for %%B in ("%USERPROFILE%\anaconda3" "%USERPROFILE%\miniconda3" "%LOCALAPPDATA%\anaconda3" "%LOCALAPPDATA%\miniconda3" "%ProgramData%\anaconda3" "%ProgramData%\miniconda3" "%USERPROFILE%\.conda") do (
    if not defined PY if exist "%%~B\envs\%ENV_NAME%\python.exe" call :use "%%~B\envs\%ENV_NAME%"
)
if defined PY goto run
echo 没有找到运行环境：项目文件夹中没有 .venv，也没有名为 %ENV_NAME% 的 conda 环境。
echo 请先按 README.md 中“没有 make 的电脑”一节建立环境（只需一次），再双击本文件。
set "STATUS=1"
goto end

:use
set "PY=%~1\python.exe"
set "PATH=%~1;%~1\Library\bin;%~1\Scripts;%PATH%"
exit /b 0

:run
"%PY%" -c "import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ('analysis', 'pandas', 'matplotlib', 'openpyxl', 'pptx', 'docx', 'nbclient')))" 2>nul
if errorlevel 1 goto broken
echo 正在生成通报材料，请稍候（第一次运行约需一两分钟）……
"%PY%" -m analysis briefing %*
set "STATUS=%ERRORLEVEL%"
echo.
if "%STATUS%"=="0" (
    echo 完成：通报材料在上面列出的文件夹中（reports 文件夹下）。
) else (
    echo 运行结束，但有问题（返回码 %STATUS%）：请查看上面的中文说明。
)
goto end

:broken
echo 运行环境没有装完整：找到了 "%PY%"，但本程序或它需要的库没有装好（多半是安装时断了网）。
echo 请按 README.md 中“没有 make 的电脑”一节，联网后重新执行安装环境的几条命令，再运行本文件。
set "STATUS=1"
goto end

:end
echo.
pause
endlocal & exit /b %STATUS%
