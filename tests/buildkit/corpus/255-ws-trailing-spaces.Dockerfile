FROM alpine   
RUN echo hi 	 
ENV A=1  
CMD ["sh"] 
