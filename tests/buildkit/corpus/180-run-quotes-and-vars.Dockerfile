FROM alpine
RUN echo "double $HOME" 'single $HOME' `date` ${X:-y} $((1+1))
